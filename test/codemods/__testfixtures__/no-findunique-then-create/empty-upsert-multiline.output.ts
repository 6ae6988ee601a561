import { prisma } from '../src/prisma';

const DEFAULT_TENANT_ID = process.env.DEFAULT_TENANT_ID ?? 'tenant-default';

async function main() {
    const tenant = await prisma.tenant.findUnique({ where: { id: DEFAULT_TENANT_ID } }).then((found) => found ?? prisma.tenant.create({
        data: {
            id: DEFAULT_TENANT_ID,
            name: 'Tenant Demo',
            domain: 'demo.local',
        },
    }).catch(async (error: { code?: string }) => {
        // Another request or instance created it first (P2002): read the row it created.
        if (error?.code !== 'P2002') throw error;
        return prisma.tenant.findUniqueOrThrow({ where: { id: DEFAULT_TENANT_ID } });
    }));
    console.log(`Seeded ${tenant.name}`);
}

main();
