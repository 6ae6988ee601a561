FROM node:20-slim
WORKDIR /app
CMD ["/bin/sh", "-c", "npx prisma migrate deploy && node dist/server.js"]
