/**
 * `npx cdk deploy -c domainName=api.example.com -c certificateArn=arn:aws:acm:…` (docs/deploy.md).
 * Optional: `-c image=<registry>/<repo>:<tag>` to run a pushed image instead of building deploy/Dockerfile.
 */
import { App } from 'aws-cdk-lib';
import { GroundworkStack } from '../lib/groundwork-stack.ts';

const app = new App();
const context = (key: string) => app.node.tryGetContext(key) as string | undefined;
const domainName = context('domainName');
const certificateArn = context('certificateArn');
if (!domainName || !certificateArn) {
  throw new Error('Set -c domainName=<the API’s host name> and -c certificateArn=<an ACM certificate for it>');
}
new GroundworkStack(app, 'Groundwork', {
  domainName,
  certificateArn,
  image: context('image'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
