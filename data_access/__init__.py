"""The only home of SQL: engine, schema, named aggregate queries, loading."""
