import express from 'express';
const app = express();
function start() {
  app.listen(3000);
}
process.on('SIGTERM', async () => {
  await prisma.$disconnect();
  process.exit(0);
});
start();
