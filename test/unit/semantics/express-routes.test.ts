import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { joinRoute, patternText, routeOfLayer } from '../../../src/semantics/express-routes.js';
import type { RoutedRequest } from '../../../src/semantics/express-routes.js';

const routeLayer = (): object => ({ method: 'get' });
const router = (): { stack: object[] } & (() => void) => Object.assign(() => {}, { stack: [] as object[] });

describe('joinRoute / patternText', () => {
  test('one slash between parts; a mount at / adds nothing', () => {
    assert.equal(joinRoute('', '/'), '/');
    assert.equal(joinRoute('', '/users'), '/users');
    assert.equal(joinRoute('/api', '/'), '/api');
    assert.equal(joinRoute('/api/', '/users/:id'), '/api/users/:id');
    assert.equal(joinRoute('/api', 'users'), '/api/users');
    assert.equal(patternText(/^\/x$/), '/^\\/x$/');
    assert.equal(patternText(['/a', '/b']), undefined);
  });
});

describe('routeOfLayer', () => {
  test('nested routers: mount templates compose; the concrete base selects the router', () => {
    const req: RoutedRequest = { baseUrl: '' };
    const api = router();
    const orgs = router();
    const mountOrgs = {};
    api.stack.push(mountOrgs);
    // app.use('/api', api): at the mount, req.baseUrl is already the mounted prefix
    req.baseUrl = '/api';
    assert.equal(routeOfLayer(req, {}, api, '/api'), undefined);
    req.baseUrl = '/api/orgs/acme';
    assert.equal(routeOfLayer(req, mountOrgs, orgs, '/orgs/:org'), undefined);
    assert.equal(routeOfLayer(req, routeLayer(), () => {}, '/members/:id'), '/api/orgs/:org/members/:id');
    req.baseUrl = '/api';
    assert.equal(routeOfLayer(req, routeLayer(), () => {}, '/'), '/api');
    req.baseUrl = '';
    assert.equal(routeOfLayer(req, routeLayer(), () => {}, '/health'), '/health');
  });

  test('a router left earlier at a prefix of the path does not leak into a sibling\'s template', () => {
    const req: RoutedRequest = { baseUrl: '/a' };
    const first = router();
    routeOfLayer(req, {}, first, '/:section');
    req.baseUrl = '/a/b';
    const second = router();
    routeOfLayer(req, {}, second, '/a/b');
    assert.equal(routeOfLayer(req, routeLayer(), () => {}, '/c'), '/a/b/c');
  });

  test('plain middleware records nothing', () => {
    const req: RoutedRequest = { baseUrl: '' };
    assert.equal(routeOfLayer(req, {}, function logger() {}, '/'), undefined);
    assert.equal(Object.getOwnPropertySymbols(req).length, 0);
  });
});
