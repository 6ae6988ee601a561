import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { poolConfig } from './config';

const pool = new Pool({ ...poolConfig, application_name: 'api' });
export const adapter = new PrismaPg(pool);
export const reports = new PrismaPg(poolConfig);
