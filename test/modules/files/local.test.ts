import { filesSuite } from './suite.ts';
import { localHarness } from './support.ts';

await filesSuite(localHarness());
