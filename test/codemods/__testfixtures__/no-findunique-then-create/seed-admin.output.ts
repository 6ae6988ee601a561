import { prisma } from '../src/config/database';

async function main() {
  const adminEmail = process.env.ADMIN_EMAIL || 'admin@example.com';

  const existingAdmin = await prisma.user.findUnique({
    where: { email: adminEmail },
  });

  if (existingAdmin) {
    console.log('Admin already exists:', existingAdmin.email);
  } else {
    // the only admin account
    const admin = await prisma.user.create({
      data: { email: adminEmail, name: 'Admin', role: 'admin' },
    }).catch(async (error: { code?: string }) => {
      // Another request or instance created it first (P2002): read the row it created.
      if (error?.code !== 'P2002') throw error;
      return prisma.user.findUniqueOrThrow({ where: { email: adminEmail } });
    });
    console.log('Admin created:', admin.email);
  }
}

main();
