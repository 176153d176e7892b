import { packageTestConfig } from '../../scripts/testing/vitest-config.js';

export default packageTestConfig(import.meta.url, { mocks: ['pax8-quotes'] });
