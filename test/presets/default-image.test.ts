/**
 * Every preset deploys with the default image: the reference server, started with the environment the
 * preset's task definition sets, listens on every target group's port and answers every target group's
 * health check (and the public health path) with 200.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../lib/config';
import { presetNames } from '../../lib/config/presets';
import { PerimeterStage } from '../../lib/stage';
import { createReferenceServer } from '../../reference-server/src/http-server';
import { healthPaths, listenPorts } from '../../reference-server/src/main';
import { TEST_ENV, testApp } from '../fixtures/test-app';

test.each(presetNames())('WORK-2: preset %s deploys with the default image: every target group port is listened on and every health check answers 200', async (name) => {
  // GIVEN the preset with the embedded default's image (the reference-server folder)
  const config = loadConfig({ preset: name });
  expect(config.service.image).toEqual({ kind: 'directory', path: 'reference-server' });
  const stage = new PerimeterStage(testApp({ bundling: false }), config.stage, { config, env: TEST_ENV });
  const template = Template.fromStack(stage.service);
  const targetGroups = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup')).map((r: any) => ({ port: r.Properties.Port, path: r.Properties.HealthCheckPath }));
  const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as any;
  const env = Object.fromEntries(task.Properties.ContainerDefinitions[0].Environment.map((e: any) => [e.Name, e.Value]));
  // WHEN the reference server starts as main.ts starts it with that environment
  const ports = listenPorts(env);
  const server = createReferenceServer({ version: config.service.version, healthPaths: healthPaths(env) });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    // THEN it listens on each target group's port (every port runs the same server) and answers each health path
    expect(targetGroups.length).toBeGreaterThan(0);
    for (const tg of targetGroups) {
      expect(ports).toContain(tg.port);
      const res = await fetch(`${base}${tg.path}`);
      expect([tg.path, res.status]).toEqual([tg.path, 200]);
    }
    expect((await fetch(`${base}${config.service.healthPath}`)).status).toBe(200);
  } finally {
    server.close();
  }
});
