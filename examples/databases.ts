import mysql from 'mysql2/promise';
import { initTracer, installAllPatches } from 'opentracing-async-instrumentation';

const tracer = initTracer({ serviceName: 'orders', reporter: { exporter: 'console' } });
installAllPatches(); // mysql2, mysql: whatever is installed; bound values are never recorded

const db = mysql.createPool(process.env.DATABASE_URL ?? 'mysql://app:secret@127.0.0.1:3306/app');
await db.query('CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, customer TEXT, state TEXT)');
await db.query("REPLACE INTO orders VALUES (1, 'alice', 'new'), (2, 'alice', 'new')");

await tracer.startActiveSpan('checkout', async () => {
  // db.statement: SELECT id, state FROM orders WHERE customer = ?
  const [rows] = await db.execute('SELECT id, state FROM orders WHERE customer = ?', ['alice']);
  // db.statement: UPDATE orders SET state = ? WHERE id IN (?)
  await db.query("UPDATE orders SET state = 'paid' WHERE id IN (1, 2)");
  console.log(rows);
});
await db.end();
await tracer.close(); // prints the trace: checkout, then its SELECT and UPDATE spans
