FROM node:20-slim
WORKDIR /app
CMD npx prisma migrate deploy && \
    node dist/server.js --port "$PORT"
