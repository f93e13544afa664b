import type { Integration } from './integration.js';

export const fetchIntegration: Integration = {
  name: 'fetch',
  enable: () => false,
  disable: () => {},
};
