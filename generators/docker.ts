// A production Dockerfile for the release, and the .dockerignore that keeps its context small.
import { addFile, type GeneratorDefinition } from './types.js';

export const dockerGenerator: GeneratorDefinition = {
  description: 'A multi-stage Dockerfile building the release, and its .dockerignore',
  prompts: [],
  actions: () => [addFile('Dockerfile', 'Dockerfile.hbs'), addFile('.dockerignore', 'dockerignore.hbs')],
};
