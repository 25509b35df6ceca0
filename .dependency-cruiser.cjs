/**
 * Layer and cycle rules (docs/architecture.md, Layers): each layer imports only from the layers before it
 * in `layers` below.
 * control holds what only a control plane runs (experiment transitions, ramps, webhooks): no SDK
 * client imports it.
 */
const layers = [
  'core',
  'stats',
  'store',
  'runtime',
  'control',
  'testing',
  'server',
  'openfeature',
  'cli',
  'web',
];

const layerRules = layers.map((layer, index) => {
  const below = layers.slice(index + 1);
  return {
    name: `layer-${layer}`,
    comment: `src/${layer} may not import from layers below it (${below.join(', ')})`,
    severity: 'error',
    from: { path: `^src/${layer}/` },
    to: { path: `^src/(${below.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles make layering and start-up order fragile.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      comment: 'src/core is pure and synchronous: no I/O modules, no packages beyond zod and yaml.',
      severity: 'error',
      from: { path: '^src/core/', pathNot: '\\.test\\.ts$' },
      to: {
        dependencyTypes: ['core', 'npm'],
        pathNot: '^node_modules/(zod|yaml)/',
      },
    },
    {
      name: 'stats-is-pure',
      comment: 'src/stats is pure: no I/O modules.',
      severity: 'error',
      from: { path: '^src/stats/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    ...layerRules.filter((rule) => rule.to.path !== '^src/()/'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.test\\.ts$|\\.case\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
