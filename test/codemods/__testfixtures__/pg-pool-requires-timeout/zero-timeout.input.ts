import pg from 'pg';

export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 0 });
export const replica = new pg.Pool({ connectionString: process.env.REPLICA_URL });
