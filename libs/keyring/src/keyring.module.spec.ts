import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { KeyCache } from './key-cache';
import type { KeyStore } from './key-store';
import { KEY_STORE, KeyringModule } from './keyring.module';
import { MemoryKeyStore } from './memory-key-store';
import { RefreshRequester } from './refresh';
import { makeSiteKey, makeSiteKeys } from './testing/fixtures';

const STORE_TOKEN = Symbol('test store');

@Module({ providers: [{ provide: STORE_TOKEN, useValue: new MemoryKeyStore() }], exports: [STORE_TOKEN] })
class StoreModule {}

describe('KeyringModule', () => {
  it('forRoot provides the store, a started KeyCache and a RefreshRequester', async () => {
    const store = new MemoryKeyStore();
    const key = makeSiteKey();
    await store.replaceSite(makeSiteKeys('s1', [key]));
    const moduleRef = await Test.createTestingModule({ imports: [KeyringModule.forRoot({ store })] }).compile();
    const app = await moduleRef.init();
    expect(app.get<KeyStore>(KEY_STORE)).toBe(store);
    expect(app.get(KeyCache).lookup(key.fingerprint)?.siteId).toBe('s1');
    expect(app.get(RefreshRequester)).toBeInstanceOf(RefreshRequester);
    await app.close();
    expect(app.get(KeyCache).lookup(key.fingerprint)).toBeUndefined(); // closed on shutdown
  });

  it('forRootAsync builds the options from injected providers; cache: false leaves the cache unstarted', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        KeyringModule.forRootAsync({
          imports: [StoreModule],
          inject: [STORE_TOKEN],
          useFactory: (store: KeyStore) => ({ store, cache: false }),
        }),
      ],
    }).compile();
    const app = await moduleRef.init();
    const store = app.get<KeyStore>(KEY_STORE);
    expect(store).toBeInstanceOf(MemoryKeyStore);
    const key = makeSiteKey();
    await store.replaceSite(makeSiteKeys('s1', [key]));
    expect(app.get(KeyCache).lookup(key.fingerprint)).toBeUndefined();
    await app.close();
  });
});
