import 'unified-ws';
import './local-setup';
