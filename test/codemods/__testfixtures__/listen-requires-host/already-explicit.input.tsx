import express from 'express';
const app = express();
const Page = () => <div>ok</div>;
app.listen({ port: 3000, host: process.env.HOST }, () => {});
