"""The only home of SQL: engine, schema, named aggregate queries, loading. Code outside the
package imports :mod:`data_access.queries`, its one public face (docs/architecture.md).
"""
