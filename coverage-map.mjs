// tap coverage map: every test counts towards the packages' sources only, so test helpers
// (sinks, servers, fixtures) are not themselves held to 100% coverage.
export default () => ['packages/*/src/**/*.ts']
