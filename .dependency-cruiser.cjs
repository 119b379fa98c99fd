/** Dependency rules (DESIGN 4, 6): the core depends on nothing; use cases never import adapters. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment:
        'src/core is plain functions over data: it imports only itself (no node:, no other layer) and @noble/hashes (pure, audited, runs in the browser: row identities of usage imports are SHA-256).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { pathNot: '^(src/core/|node_modules/@noble/hashes/)' },
    },
    {
      name: 'contract-depends-on-core-only',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { path: '^(src/(?!core|contract)|server/)' },
    },
    {
      name: 'use-cases-use-ports',
      comment: 'Use cases depend on ports, never on adapters, the HTTP layer or the local host.',
      severity: 'error',
      from: { path: '^server/(app|ports)/' },
      to: { path: '^server/(adapters|functions|local|compose|config)' },
    },
    {
      name: 'adapters-not-http',
      severity: 'error',
      from: { path: '^server/adapters/' },
      to: { path: '^server/(functions|local|app)/' },
    },
    {
      name: 'browser-not-to-server',
      comment: 'The pages (tab, pane, their UI, platform, contract, core) run in the browser: nothing there may import the server.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^server/' },
    },
    {
      name: 'tab-not-to-pane',
      comment: 'The Teams tab and the Outlook pane are separate pages: what both need lives in src/ui, src/platform or below.',
      severity: 'error',
      from: { path: '^src/tab/' },
      to: { path: '^src/addin/' },
    },
    {
      name: 'pane-not-to-tab',
      severity: 'error',
      from: { path: '^src/addin/' },
      to: { path: '^src/tab/' },
    },
    {
      name: 'functions-not-to-local',
      comment: 'The Azure Functions registration never reaches the local host (dev identity, Azurite, stand-ins): they would ship in the bundle.',
      severity: 'error',
      from: { path: '^server/functions/' },
      to: { path: '^server/local/' },
    },
    {
      name: 'use-cases-take-contract-types-only',
      comment:
        'Use cases take and give the contract\'s types; parsing input against the schemas is the HTTP edge\'s job, so `import type` only.',
      severity: 'error',
      from: { path: '^server/app/' },
      to: { path: '^src/contract/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // `types` as a main field: @microsoft/microsoft-graph-types is a types-only package (no JS to resolve to).
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'], exportsFields: ['exports'], conditionNames: ['types', 'import', 'require', 'node', 'default'], mainFields: ['main', 'types'] },
  },
};
