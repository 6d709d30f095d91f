#!/bin/sh
# Runs once, when the postgres container initialises an empty data volume
# (/docker-entrypoint-initdb.d). Creates the login role the Vigil server runs as; the owner role
# (POSTGRES_USER) keeps the schema, and `vigil migrate` run as it (the compose `migrate` service)
# grants this role what the server needs: on audit_event only SELECT and INSERT.
# An existing volume is not re-initialised: run the same statement once by hand (README
# "Database roles").
set -eu
: "${VIGIL_APP_DB_PASSWORD:?set VIGIL_APP_DB_PASSWORD for the application role}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$VIGIL_APP_DB_PASSWORD" <<'SQL'
CREATE ROLE vigil_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
SQL
