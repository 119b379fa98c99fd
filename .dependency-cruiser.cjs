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
