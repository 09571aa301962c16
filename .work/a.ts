import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
const app = new App({ outdir: '/work/main/.work/out' });
const stage = new Stage(app, 'dev');
const st = new Stack(stage, 'S1');
const b = new s3.Bucket(st, 'B');
Validations.of(b).acknowledge({ id: 'AwsSolutions::AwsSolutions-S1', reason: 'x' });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
try { app.synth(); console.log('synth ok'); } catch (e) { console.log('THROW', String(e).slice(0, 500)); }
