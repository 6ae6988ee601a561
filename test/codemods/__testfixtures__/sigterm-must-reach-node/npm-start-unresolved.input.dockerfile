FROM node:20-slim
WORKDIR /app
CMD ["npm", "start"]
