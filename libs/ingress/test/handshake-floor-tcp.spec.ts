import { once } from 'node:events';
import { connect } from 'node:net';
import { waitFor } from '@pos-link/platform/testing';
import { IntegratorValidator, RsaKeyPool, runHandshakes } from '@pos-link/pos-sim';
import { HandshakeFloor } from '../src/testing/handshake-floor';
import { serializeIntegratorCredentials } from '../src/transport/create-pes-transport';
import { TEST_INTEGRATOR } from './support/ingress-harness';

/** `HandshakeFloor`: the handshake benchmark's baseline must run the real POS handshake to the end. */
describe('HandshakeFloor (the handshake benchmark baseline) over TCP', () => {
  const credentials = serializeIntegratorCredentials(TEST_INTEGRATOR.keyId, TEST_INTEGRATOR.secretKey);
  let keys: RsaKeyPool;

  beforeAll(async () => {
    keys = await RsaKeyPool.create(2);
  });

  it.each(['sha256', 'sha1'] as const)('completes pos-sim handshakes (OAEP %s) and closes after the POS FIN', async (oaepHash) => {
    const floor = await HandshakeFloor.listen({ oaepHash, cipher: 'aes-256-gcm', credentials, source: 'pos-link' });
    try {
      const validator = new IntegratorValidator({ expected: TEST_INTEGRATOR });
      const result = await runHandshakes({ port: floor.port, keys: keys.source(), validator, count: 4, concurrency: 2, oaepHash });
      expect(result).toMatchObject({ completed: 4, failures: {} });
      // The POS's last ack and FIN may still be on their way when runHandshakes resolves.
      await waitFor('the floor to finish and close every connection', () => floor.completed >= 4 && floor.openConnections === 0, { intervalMs: 5 });
      expect(floor.completed).toBe(4);
    } finally {
      await floor.close();
    }
  });

  it('destroys a connection that does not start with init_client', async () => {
    const floor = await HandshakeFloor.listen({ oaepHash: 'sha256', cipher: 'aes-256-gcm', credentials, source: 'pos-link' });
    try {
      const socket = connect(floor.port, '127.0.0.1');
      const body = Buffer.from('{"source":"pos","version":"1.0","msg_id":"1","msg_type":"create_order","msg_data":"x"}');
      const header = Buffer.alloc(4);
      header.writeUInt32LE(body.length);
      socket.write(Buffer.concat([header, body]));
      await once(socket, 'close');
      expect(floor.completed).toBe(0);
    } finally {
      await floor.close();
    }
  });
});
