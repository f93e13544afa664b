import type { Integration } from './integration.js';

export const undiciIntegration: Integration = {
  name: 'undici',
  enable: () => false,
  disable: () => {},
};
