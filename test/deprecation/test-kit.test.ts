import {
  configureDeprecations,
  deprecationSnapshot,
  expectDeprecation,
  resetDeprecations,
  withDeprecationsAllowed,
} from '../../src/deprecation/index';
import { createWebSocketManager } from '../../shims/websocket-core/websocket-manager-factory';
import { LegacyWebSocketManagerAdapter } from '../../shims/websocket-core/protocols';
import { devAuthenticate } from '../../src/manager/auth';
import { WebSocketManager } from '../../src/manager/websocket-manager';
import { useCleanup } from '../helpers';

describe('test kit', () => {
  const defer = useCleanup();

  beforeEach(() => {
    const manager = new WebSocketManager({ authenticate: devAuthenticate });
    defer(() => manager.close());
    resetDeprecations();
    configureDeprecations({ policy: 'throw' });
  });

  afterAll(() => {
    resetDeprecations();
    configureDeprecations({ policy: 'silent' });
  });

  describe('#expectDeprecation', () => {
    it('returns what fn returns when the code was used', () => {
      const channel = withDeprecationsAllowed(['UWS004'], () =>
        expectDeprecation('UWS004', () => createWebSocketManager('alice')),
      );
      expect(channel.userId).toBe('alice');
    });

    it('fails when the code was not used', () => {
      expect(() =>
        withDeprecationsAllowed('*', () =>
          expectDeprecation('UWS004', () =>
            new LegacyWebSocketManagerAdapter().getConnectionCount(),
          ),
        ),
      ).toThrow(/expected a use of deprecated UWS004/);
    });

    it('awaits an async fn', async () => {
      await expect(
        withDeprecationsAllowed('*', () =>
          expectDeprecation('UWS004', async () => createWebSocketManager('a').userId),
        ),
      ).resolves.toBe('a');
      await expect(
        withDeprecationsAllowed('*', () => expectDeprecation('UWS004', async () => 1)),
      ).rejects.toThrow(/UWS004/);
    });
  });

  describe('#withDeprecationsAllowed', () => {
    it('lets the named codes through a throw policy, still counting them, and restores the policy', () => {
      withDeprecationsAllowed(['UWS004'], () => {
        createWebSocketManager('u');
        expect(() => new LegacyWebSocketManagerAdapter().getConnectionCount()).toThrow(
          expect.objectContaining({ code: 'UWS_ERR_DEPRECATED_USE' }),
        );
      });
      expect(() => createWebSocketManager('u')).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_DEPRECATED_USE' }),
      );
      expect(deprecationSnapshot().codes.find((c) => c.code === 'UWS004')?.count).toBe(2);
    });

    it('restores the policy after an async fn, and after a throwing one', async () => {
      await withDeprecationsAllowed('*', async () => {
        await Promise.resolve();
        createWebSocketManager('u');
      });
      expect(() =>
        withDeprecationsAllowed('*', () => {
          throw new Error('inside');
        }),
      ).toThrow('inside');
      expect(() => createWebSocketManager('u')).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_DEPRECATED_USE' }),
      );
    });

    it('does not allow a removed entry point', () => {
      configureDeprecations({ version: '2.0.0' });
      expect(() => withDeprecationsAllowed('*', () => createWebSocketManager('u'))).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_REMOVED' }),
      );
    });
  });

  describe('#resetDeprecations', () => {
    it('zeroes counts and sites while shims keep their hot path', () => {
      withDeprecationsAllowed('*', () => createWebSocketManager('u'));
      resetDeprecations();
      expect(deprecationSnapshot().codes).toEqual([]);
      configureDeprecations({ policy: 'silent' });
      createWebSocketManager('u');
      expect(deprecationSnapshot().codes.map((c) => [c.code, c.count])).toEqual([['UWS004', 1]]);
    });
  });
});
