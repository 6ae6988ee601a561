const { Pool } = require('pg');

// One pool per process, sized for the database's connection limit.
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 5, // 4 instances × 5 < 25
  idleTimeoutMillis: 30000
});

module.exports = { query: (text, params) => pool.query(text, params) };
