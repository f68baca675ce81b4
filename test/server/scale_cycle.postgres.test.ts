import { BACKENDS } from './harness.js';
import { scaleDevelopmentCycle } from './scale_cycle.js';

scaleDevelopmentCycle(BACKENDS.find((b) => b.name === 'postgres')!);
