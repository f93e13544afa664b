import dc from 'node:diagnostics_channel';
import type { IntegrationContext } from './integration.js';

type Handler = (message: never) => void;

/**
 * The channel subscriptions of one integration. Every handler is guarded: if it throws, the
 * integration is reported once and switched off, and the publisher (the host app) goes on.
 */
export class Subscriptions {
  private readonly active: [string, (message: unknown) => void][] = [];

  constructor(private readonly integration: string) {}

  add(context: IntegrationContext, channel: string, handler: Handler): void {
    const integration = this.integration;
    const guarded = (message: unknown): void => {
      try {
        (handler as (message: unknown) => void)(message);
      } catch (error) {
        context.fault(integration, error);
      }
    };
    dc.subscribe(channel, guarded);
    this.active.push([channel, guarded]);
  }

  removeAll(): void {
    for (const [channel, guarded] of this.active.splice(0)) dc.unsubscribe(channel, guarded);
  }

  get isEmpty(): boolean {
    return this.active.length === 0;
  }
}
