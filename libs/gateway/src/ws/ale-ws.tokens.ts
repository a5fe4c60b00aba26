/** Injection token of the {@link SiteEventBus} (Redis, memory, or the standalone process's shared one). */
export const SITE_EVENT_BUS = Symbol('pos-link:gateway-site-event-bus');

/** Injection token of the {@link PesEventFeed} (Redis Streams, or the standalone process's memory feed). */
export const PES_EVENT_FEED = Symbol('pos-link:gateway-pes-event-feed');
