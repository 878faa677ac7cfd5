import { Router } from 'express';
import { currentModerator } from '../identity';
import { parseInput } from '../shared/http';
import {
  createWebhookBodySchema,
  deliveriesQuerySchema,
  deliveryParamsSchema,
  hookParamsSchema,
  siteParamsSchema,
  updateWebhookBodySchema,
} from './webhook.schemas';
import type { WebhookService } from './webhook.service';

/** `/mod/sites/:id/webhooks…`: behind the moderator guard that the identity router mounts first. */
export function createWebhookRouter(webhooks: WebhookService): Router {
  const router = Router();

  router.get('/mod/sites/:id/webhooks', async (req, res) => {
    const { id } = parseInput(siteParamsSchema, req.params, 'site');
    res.json(await webhooks.listEndpoints(currentModerator(res), id));
  });

  router.post('/mod/sites/:id/webhooks', async (req, res) => {
    const { id } = parseInput(siteParamsSchema, req.params, 'site');
    const body = parseInput(createWebhookBodySchema, req.body, 'webhook');
    const created = await webhooks.createEndpoint(currentModerator(res), id, body);
    res.status(201).location(`/api/v1/mod/sites/${id}/webhooks/${created.id}`).json(created);
  });

  router.patch('/mod/sites/:id/webhooks/:hookId', async (req, res) => {
    const { id, hookId } = parseInput(hookParamsSchema, req.params, 'webhook');
    const body = parseInput(updateWebhookBodySchema, req.body, 'webhook');
    res.json(await webhooks.updateEndpoint(currentModerator(res), id, hookId, body));
  });

  router.delete('/mod/sites/:id/webhooks/:hookId', async (req, res) => {
    const { id, hookId } = parseInput(hookParamsSchema, req.params, 'webhook');
    await webhooks.deleteEndpoint(currentModerator(res), id, hookId);
    res.status(204).end();
  });

  router.get('/mod/sites/:id/webhooks/:hookId/deliveries', async (req, res) => {
    const { id, hookId } = parseInput(hookParamsSchema, req.params, 'webhook');
    const query = parseInput(deliveriesQuerySchema, req.query, 'deliveries');
    res.json(
      await webhooks.listDeliveries(currentModerator(res), id, hookId, {
        before: query.cursor,
        limit: query.limit ?? 20,
      }),
    );
  });

  router.post('/mod/sites/:id/webhooks/:hookId/test', async (req, res) => {
    const { id, hookId } = parseInput(hookParamsSchema, req.params, 'webhook');
    res.status(202).json(await webhooks.sendTestEvent(currentModerator(res), id, hookId));
  });

  router.post('/mod/sites/:id/webhooks/:hookId/deliveries/:deliveryId/redeliver', async (req, res) => {
    const { id, hookId, deliveryId } = parseInput(deliveryParamsSchema, req.params, 'delivery');
    res.status(202).json(await webhooks.redeliver(currentModerator(res), id, hookId, deliveryId));
  });

  return router;
}
