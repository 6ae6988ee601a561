import { prisma } from '../src/prisma';

const DEFAULT_TENANT_ID = process.env.DEFAULT_TENANT_ID ?? 'tenant-default';

async function main() {
    const tenant = await prisma.tenant.upsert({
        where: { id: DEFAULT_TENANT_ID },
        update: {},
        create: {
            id: DEFAULT_TENANT_ID,
            name: 'Tenant Demo',
            domain: 'demo.local',
        },
    });
    console.log(`Seeded ${tenant.name}`);
}

main();
