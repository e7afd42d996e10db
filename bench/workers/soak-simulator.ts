/**
 * Worker: the simulator for the soak, in a process of its own so that its
 * memory is not counted in the soak's samples. Built from bench/ with the
 * rest of the benchmark, so the soak does not depend on dist/.
 */
import { startSimulator } from '../../src/simulator/index.js';
import { parentMessage, runWorker, workerInput } from '../worker-process.js';

export interface SoakSimulatorInput {
  /** Simulated latency of every response, such as "20ms". */
  latency: string;
}

runWorker(async () => {
  const input = await workerInput<SoakSimulatorInput>();
  const simulator = await startSimulator({ host: '127.0.0.1', port: 0, scenario: { latency: input.latency } });
  process.send?.({ type: 'ready', url: simulator.url });
  await parentMessage('stop');
  await simulator.close();
  return {};
});
