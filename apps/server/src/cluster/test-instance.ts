/**
 * A studio instance in a process of its own, for tests that kill one without a word (SIGKILL):
 * started with the options in the ATTUNE_TEST_STUDIO environment variable (JSON), it prints
 * `listening URL` once it listens.
 */
import { type StudioOptions, startStudio } from '../app.ts';

const options = JSON.parse(process.env.ATTUNE_TEST_STUDIO ?? '{}') as StudioOptions;
const studio = await startStudio({ ...options, onError: () => {} });
console.log(`listening ${studio.url}`);
