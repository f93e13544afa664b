import type { Integration } from './integration.js';

export const httpClientIntegration: Integration = {
  name: 'http-client',
  enable: () => false,
  disable: () => {},
};
