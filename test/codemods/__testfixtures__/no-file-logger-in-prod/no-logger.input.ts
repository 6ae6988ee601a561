// Mentions winston but configures nothing.
export const LOGGER_LIBRARY = 'winston';
