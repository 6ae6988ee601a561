import express from 'express';
const app = express();
app.listen(3000);
process.on('SIGTERM', async () => {
  await prisma.$disconnect();
  process.exit(0);
});
process.on('SIGINT', () => process.exit(130));
