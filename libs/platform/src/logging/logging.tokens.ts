/** Injection token of the app instance's pino `Logger` (see `LoggingModule`). */
export const APP_LOGGER = Symbol('pos-link:app-logger');
