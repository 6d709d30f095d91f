import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole domain's first schema, so later features extend it rather than reshape it.
 * PostgreSQL 15 SQL that also runs on PGlite (PostgreSQL 18). Conventions:
 * - uuid keys from gen_random_uuid() (built in since PG 13), timestamptz everywhere;
 * - enumerations as text + CHECK (cheap to extend in a migration, unlike enum types);
 * - person-owned rows cascade or null out on delete, so erasure can be complete;
 * - embeddings only in face_reference (enrolled people), never for sightings of strangers.
 */
export class CreateInitialSchema1795810987813 implements MigrationInterface {
  name = 'CreateInitialSchema1795810987813';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
        role text NOT NULL CHECK (role IN ('admin', 'security', 'reviewer', 'kiosk')),
        -- sha256 of the secret: tokens are 256-bit random, so a fast hash is enough.
        token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
        source text NOT NULL DEFAULT 'minted' CHECK (source IN ('minted', 'env', 'generated', 'cli')),
        created_by uuid REFERENCES api_token (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX api_token_active_name_uq ON api_token (lower(name)) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        list text NOT NULL CHECK (list IN ('watchlist', 'employee')),
        notes text,
        -- Consent record (employees only): when, how, and the document that proves it.
        consent_given_at timestamptz,
        consent_method text,
        consent_reference text,
        consent_withdrawn_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT person_consent_employees_only CHECK (consent_given_at IS NULL OR list = 'employee'),
        CONSTRAINT person_consent_complete CHECK ((consent_given_at IS NULL) = (consent_method IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX person_list_name_uq ON person (list, lower(name))`);

    // Proof that an erasure happened, holding no personal data.
    await q.query(`
      CREATE TABLE person_tombstone (
        person_id uuid PRIMARY KEY,
        list text NOT NULL,
        erased_at timestamptz NOT NULL DEFAULT now(),
        erased_by uuid,
        reason text
      )`);

    await q.query(`
      CREATE TABLE camera (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
        url text NOT NULL,
        preset text NOT NULL DEFAULT 'auto',
        fps real NOT NULL DEFAULT 5 CHECK (fps > 0 AND fps <= 30),
        enabled boolean NOT NULL DEFAULT true,
        -- Per-camera tunables (motion sensitivity, stall seconds, thresholds override).
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        status text NOT NULL DEFAULT 'offline'
          CHECK (status IN ('starting', 'online', 'stalled', 'offline', 'frozen')),
        status_reason text,
        status_at timestamptz,
        measured_fps real,
        last_frame_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX camera_name_uq ON camera (lower(name))`);

    await q.query(`
      CREATE TABLE camera_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        camera_id uuid NOT NULL REFERENCES camera (id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('starting', 'online', 'stalled', 'offline', 'frozen')),
        reason text,
        fps real,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX camera_event_camera_at_idx ON camera_event (camera_id, at DESC)`);

    // A version of the recognition model: thresholds + the gallery state it was built from.
    await q.query(`CREATE SEQUENCE gallery_version_seq AS bigint START 1`);
    await q.query(`
      CREATE TABLE model_version (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        label text NOT NULL,
        status text NOT NULL CHECK (status IN ('candidate', 'active', 'retired', 'rejected')),
        embedding_model text NOT NULL,
        detector text NOT NULL,
        gallery_version bigint NOT NULL,
        thresholds jsonb NOT NULL,
        metrics jsonb,
        decision_reason text,
        parent_id integer REFERENCES model_version (id),
        created_by uuid REFERENCES api_token (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        promoted_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX model_version_one_active_uq ON model_version ((true)) WHERE status = 'active'`);

    // Every stored image (reference photos, crops, frames) is a row, so retention and erasure
    // can find files through SQL instead of walking folders.
    await q.query(`
      CREATE TABLE media (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('reference', 'crop', 'frame', 'upload')),
        -- Relative to VIGIL_DATA_DIR/media; never absolute, never containing '..'.
        path text NOT NULL UNIQUE CHECK (path !~ '(^/|\\.\\.)'),
        content_type text NOT NULL,
        bytes integer NOT NULL CHECK (bytes >= 0),
        person_id uuid REFERENCES person (id) ON DELETE CASCADE,
        camera_id uuid REFERENCES camera (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz
      )`);
    await q.query(`CREATE INDEX media_person_idx ON media (person_id) WHERE person_id IS NOT NULL`);
    await q.query(`CREATE INDEX media_expires_idx ON media (expires_at) WHERE expires_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE face_reference (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        -- float32 little-endian; 128 values for face-api's FaceRecognitionNet.
        embedding bytea NOT NULL CHECK (octet_length(embedding) > 0 AND octet_length(embedding) % 4 = 0),
        model_id text NOT NULL,
        quality jsonb NOT NULL DEFAULT '{}'::jsonb,
        source text NOT NULL CHECK (source IN ('upload', 'import', 'camera', 'review')),
        source_image_path text,
        source_media_id uuid REFERENCES media (id) ON DELETE SET NULL,
        augmented boolean NOT NULL DEFAULT false,
        augmentation text,
        derived_from_id uuid REFERENCES face_reference (id) ON DELETE CASCADE,
        outlier boolean NOT NULL DEFAULT false,
        weight real NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight <= 1),
        -- Gallery versions in which the reference entered and left, so a model version can be
        -- rolled back to exactly the references it was evaluated with.
        added_gallery_version bigint NOT NULL,
        removed_gallery_version bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT face_reference_augmentation_named CHECK (augmented = (augmentation IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX face_reference_person_idx ON face_reference (person_id)`);
    await q.query(`CREATE INDEX face_reference_current_idx ON face_reference (model_id) WHERE removed_gallery_version IS NULL`);

    // A tracked face on one camera; identity is decided once per track by a vote.
    await q.query(`
      CREATE TABLE track (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        camera_id uuid NOT NULL REFERENCES camera (id) ON DELETE CASCADE,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        sightings_count integer NOT NULL DEFAULT 0,
        decision text NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'match', 'unknown')),
        person_id uuid REFERENCES person (id) ON DELETE SET NULL,
        score real,
        model_version_id integer REFERENCES model_version (id)
      )`);
    await q.query(`CREATE INDEX track_camera_started_idx ON track (camera_id, started_at DESC)`);

    // No embedding column on purpose: faces that match nobody are never stored as templates.
    await q.query(`
      CREATE TABLE sighting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        track_id uuid REFERENCES track (id) ON DELETE CASCADE,
        camera_id uuid NOT NULL REFERENCES camera (id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        box jsonb NOT NULL,
        quality jsonb NOT NULL DEFAULT '{}'::jsonb,
        person_id uuid REFERENCES person (id) ON DELETE SET NULL,
        distance real,
        crop_media_id uuid REFERENCES media (id) ON DELETE SET NULL,
        frame_media_id uuid REFERENCES media (id) ON DELETE SET NULL
      )`);
    await q.query(`CREATE INDEX sighting_track_idx ON sighting (track_id)`);
    await q.query(`CREATE INDEX sighting_person_idx ON sighting (person_id) WHERE person_id IS NOT NULL`);

    // seq is the replay offset clients resume from. Writers take an advisory transaction lock
    // before drawing it so that seq order equals commit order (no reader can skip a late commit).
    await q.query(`CREATE SEQUENCE alert_seq AS bigint START 1`);
    await q.query(`
      CREATE TABLE alert (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint NOT NULL UNIQUE DEFAULT nextval('alert_seq'),
        camera_id uuid REFERENCES camera (id) ON DELETE SET NULL,
        person_id uuid REFERENCES person (id) ON DELETE SET NULL,
        list text NOT NULL CHECK (list IN ('watchlist', 'employee')),
        track_id uuid REFERENCES track (id) ON DELETE SET NULL,
        sighting_id uuid REFERENCES sighting (id) ON DELETE SET NULL,
        score real NOT NULL,
        distance real,
        status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'acknowledged', 'resolved', 'escalated')),
        crop_media_id uuid REFERENCES media (id) ON DELETE SET NULL,
        frame_media_id uuid REFERENCES media (id) ON DELETE SET NULL,
        model_version_id integer REFERENCES model_version (id),
        raised_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        acknowledged_by uuid REFERENCES api_token (id) ON DELETE SET NULL,
        resolved_at timestamptz,
        resolved_by uuid REFERENCES api_token (id) ON DELETE SET NULL,
        escalated_at timestamptz,
        escalated_by uuid REFERENCES api_token (id) ON DELETE SET NULL
      )`);
    await q.query(`ALTER SEQUENCE alert_seq OWNED BY alert.seq`);
    await q.query(`CREATE INDEX alert_open_idx ON alert (seq) WHERE status IN ('new', 'escalated')`);
    await q.query(`CREATE INDEX alert_person_idx ON alert (person_id) WHERE person_id IS NOT NULL`);

    await q.query(`CREATE SEQUENCE attendance_seq AS bigint START 1`);
    await q.query(`
      CREATE TABLE attendance_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint NOT NULL UNIQUE DEFAULT nextval('attendance_seq'),
        person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('in', 'out')),
        at timestamptz NOT NULL,
        -- The working day in the site's time zone, which is what reports group by.
        local_date date NOT NULL,
        source text NOT NULL CHECK (source IN ('camera', 'kiosk')),
        camera_id uuid REFERENCES camera (id) ON DELETE SET NULL,
        kiosk_token_id uuid REFERENCES api_token (id) ON DELETE SET NULL,
        score real NOT NULL,
        track_id uuid REFERENCES track (id) ON DELETE SET NULL,
        sighting_id uuid REFERENCES sighting (id) ON DELETE SET NULL,
        model_version_id integer REFERENCES model_version (id)
      )`);
    await q.query(`ALTER SEQUENCE attendance_seq OWNED BY attendance_event.seq`);
    await q.query(`CREATE INDEX attendance_day_idx ON attendance_event (local_date, person_id, at)`);

    await q.query(`
      CREATE TABLE review_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('alert', 'attendance', 'unknown', 'sample')),
        alert_id uuid REFERENCES alert (id) ON DELETE CASCADE,
        attendance_id uuid REFERENCES attendance_event (id) ON DELETE CASCADE,
        sighting_id uuid REFERENCES sighting (id) ON DELETE SET NULL,
        camera_id uuid REFERENCES camera (id) ON DELETE SET NULL,
        candidate_person_id uuid REFERENCES person (id) ON DELETE SET NULL,
        score real,
        distance real,
        crop_media_id uuid REFERENCES media (id) ON DELETE SET NULL,
        model_version_id integer REFERENCES model_version (id),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'labelled', 'confirmed', 'expired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        CONSTRAINT review_item_alert_link CHECK ((kind = 'alert') = (alert_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX review_item_open_idx ON review_item (created_at) WHERE status = 'open'`);

    await q.query(`
      CREATE TABLE review_label (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES review_item (id) ON DELETE CASCADE,
        reviewer_token_id uuid REFERENCES api_token (id) ON DELETE SET NULL,
        reviewer_name text NOT NULL,
        label text NOT NULL CHECK (label IN ('TP', 'FP', 'FN', 'TN')),
        actual_person_id uuid REFERENCES person (id) ON DELETE SET NULL,
        not_enrolled boolean NOT NULL DEFAULT false,
        notes text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT review_label_actual_xor_not_enrolled CHECK (NOT (not_enrolled AND actual_person_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX review_label_one_per_reviewer_uq ON review_label (item_id, reviewer_token_id)`);

    // Append-only: no foreign keys (the record outlives what it names), and triggers refuse
    // UPDATE, DELETE and TRUNCATE for every role, the application's included.
    await q.query(`
      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_token_id uuid,
        actor_name text NOT NULL,
        actor_role text NOT NULL,
        action text NOT NULL,
        object_type text NOT NULL,
        object_id text,
        gallery_version bigint,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX audit_event_object_idx ON audit_event (object_type, object_id, at)`);
    await q.query(`
      CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()`);
    await q.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()`);

    // Runtime-tunable settings (thresholds, KPIs, retention), with defaults in code.
    await q.query(`
      CREATE TABLE setting (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES api_token (id) ON DELETE SET NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'setting', 'audit_event', 'review_label', 'review_item', 'attendance_event', 'alert', 'sighting',
      'track', 'face_reference', 'media', 'model_version', 'camera_event', 'camera', 'person_tombstone',
      'person', 'api_token',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP FUNCTION audit_event_refuse_change()`);
    await q.query(`DROP SEQUENCE gallery_version_seq`);
  }
}
