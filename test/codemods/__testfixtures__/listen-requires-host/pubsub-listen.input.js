const { Client } = require('pg');
const client = new Client();
client.listen('user_created', (payload) => console.log(payload));
subscriber.listen(channelName, onMessage);
