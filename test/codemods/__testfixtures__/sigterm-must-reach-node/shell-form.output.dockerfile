FROM node:20-slim
WORKDIR /app
COPY . .
RUN npm ci && npm run build
# Shell form: /bin/sh -c runs node, and sh ignores SIGTERM.
CMD ["node", "dist/server.js"]
