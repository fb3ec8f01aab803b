import { filesSuite } from './suite.ts';
import { s3Harness } from './support.ts';

await filesSuite(await s3Harness());
