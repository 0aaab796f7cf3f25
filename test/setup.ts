// Tests use legacy entry points on purpose: count them, but keep them off the test output.
// Tests of the display itself reset and configure the runtime on their own.
import { configureDeprecations } from '../src/deprecation/index';

configureDeprecations({ policy: 'silent' });
