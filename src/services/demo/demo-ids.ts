/** The fixed ids of the demo world (docs/cli.md), apart from its seeding so the CLI's offer commands load nothing else. */
export const DEMO_IDS = {
  contosoTenant: 'c0c0c0c0-0000-4000-8000-000000000001',
  fabrikamTenant: 'fabf0000-0000-4000-8000-000000000002',
  northwindTenant: '90e70000-0000-4000-8000-000000000003',
  fabrikamProduction: 'fab50000-0000-4000-8000-0000000000a1',
  northwindDev: '90e50000-0000-4000-8000-0000000000b1',
  contosoL2Engineers: 'c0c06000-0000-4000-8000-0000000000c2',
  contosoL1Support: 'c0c06000-0000-4000-8000-0000000000c1',
  contosoOffboarding: 'c0c06000-0000-4000-8000-0000000000c0',
} as const;
