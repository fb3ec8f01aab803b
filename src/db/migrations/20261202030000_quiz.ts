import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table quizzes (
      id uuid primary key default gen_random_uuid(),
      owner_id uuid not null references users (id) on delete cascade,
      title text not null check (char_length(title) between 1 and 200),
      description text not null default '',
      status text not null default 'draft' check (status in ('draft', 'published')),
      time_limit_seconds integer check (time_limit_seconds > 0),
      opens_at timestamptz(3),
      closes_at timestamptz(3),
      max_attempts integer check (max_attempts > 0),
      grading text not null default 'highest' check (grading in ('highest', 'last', 'first', 'average')),
      review text not null default 'after_submit' check (review in ('after_submit', 'after_close', 'never')),
      shuffle_questions boolean not null default false,
      shuffle_options boolean not null default false,
      draw_tag text,
      draw_count integer check (draw_count > 0),
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      check ((draw_tag is null) = (draw_count is null))
    )`.execute(db);
  // "My quizzes", newest first.
  await sql`create index quizzes_owner_idx on quizzes (owner_id, created_at desc, id)`.execute(db);

  // A question's identity and place in its quiz; what it says lives in its versions.
  await sql`
    create table quiz_questions (
      id uuid primary key default gen_random_uuid(),
      quiz_id uuid not null references quizzes (id) on delete cascade,
      position integer not null,
      weight double precision not null default 1 check (weight >= 0),
      tags text[] not null default '{}',
      current_version integer not null default 1,
      deleted_at timestamptz(3),
      created_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index quiz_questions_quiz_idx on quiz_questions (quiz_id, position) where deleted_at is null`.execute(
    db,
  );

  // Immutable: an edit adds a version, so an attempt or game that used version N keeps it.
  await sql`
    create table quiz_question_versions (
      question_id uuid not null references quiz_questions (id) on delete cascade,
      version integer not null,
      body jsonb not null,
      created_at timestamptz(3) not null default now(),
      primary key (question_id, version)
    )`.execute(db);

  await sql`
    create table quiz_attempts (
      id uuid primary key default gen_random_uuid(),
      quiz_id uuid not null references quizzes (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      number integer not null,
      -- The shuffle seed: the same attempt always shows the same order.
      seed text not null,
      status text not null default 'in_progress' check (status in ('in_progress', 'submitted')),
      started_at timestamptz(3) not null default now(),
      deadline timestamptz(3),
      submitted_at timestamptz(3),
      submitted_by text check (submitted_by in ('user', 'deadline')),
      score double precision,
      max_score double precision not null,
      -- Max attempts holds under races: two starts cannot take the same number.
      unique (quiz_id, user_id, number)
    )`.execute(db);
  await sql`create index quiz_attempts_user_idx on quiz_attempts (user_id, started_at desc)`.execute(db);
  // The overdue sweep: open attempts by deadline.
  await sql`create index quiz_attempts_overdue_idx on quiz_attempts (deadline) where status = 'in_progress' and deadline is not null`.execute(
    db,
  );

  await sql`
    create table quiz_attempt_items (
      attempt_id uuid not null references quiz_attempts (id) on delete cascade,
      position integer not null,
      question_id uuid not null,
      version integer not null,
      weight double precision not null,
      answer jsonb,
      answered_at timestamptz(3),
      fraction double precision,
      marks double precision,
      primary key (attempt_id, question_id),
      foreign key (question_id, version) references quiz_question_versions (question_id, version) on delete cascade
    )`.execute(db);
  await sql`create index quiz_attempt_items_question_idx on quiz_attempt_items (question_id, version)`.execute(db);

  await sql`
    create table quiz_games (
      id uuid primary key default gen_random_uuid(),
      quiz_id uuid not null references quizzes (id) on delete cascade,
      host_id uuid not null references users (id) on delete cascade,
      -- Unique among unfinished games (partial index below): codes are reused once a game ends.
      code char(6) not null,
      state text not null default 'lobby'
        check (state in ('lobby', 'question', 'answering', 'reveal', 'leaderboard', 'finished')),
      question_index integer not null default -1,
      -- Bumped on every transition: a deadline job or timer acts only on the phase it was armed for.
      phase_seq integer not null default 0,
      phase_started_at timestamptz(3),
      phase_ends_at timestamptz(3),
      read_seconds integer not null,
      answer_seconds integer not null,
      speed_scoring boolean not null,
      streak_bonus boolean not null,
      seed text not null,
      question_count integer not null,
      created_at timestamptz(3) not null default now(),
      finished_at timestamptz(3)
    )`.execute(db);
  await sql`create unique index quiz_games_code_idx on quiz_games (code) where state <> 'finished'`.execute(db);
  await sql`create index quiz_games_quiz_idx on quiz_games (quiz_id, created_at desc)`.execute(db);
  await sql`create index quiz_games_host_idx on quiz_games (host_id)`.execute(db);
  // Re-arming deadlines at start: the games in a timed phase.
  await sql`create index quiz_games_timed_idx on quiz_games (id) where state in ('question', 'answering')`.execute(db);

  await sql`
    create table quiz_game_questions (
      game_id uuid not null references quiz_games (id) on delete cascade,
      index integer not null,
      question_id uuid not null,
      version integer not null,
      weight double precision not null,
      primary key (game_id, index),
      foreign key (question_id, version) references quiz_question_versions (question_id, version) on delete cascade
    )`.execute(db);
  await sql`create index quiz_game_questions_question_idx on quiz_game_questions (question_id, version)`.execute(db);

  await sql`
    create table quiz_game_players (
      id uuid primary key default gen_random_uuid(),
      game_id uuid not null references quiz_games (id) on delete cascade,
      nickname text not null check (char_length(nickname) between 1 and 30),
      -- SHA-256 of the player token: a database leak does not hand out seats.
      token_hash text not null unique,
      score integer not null default 0,
      correct_count integer not null default 0,
      total_time_ms integer not null default 0,
      streak integer not null default 0,
      first_answer_at timestamptz(3),
      joined_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create unique index quiz_game_players_nickname_idx on quiz_game_players (game_id, lower(nickname))`.execute(
    db,
  );

  await sql`
    create table quiz_game_answers (
      game_id uuid not null references quiz_games (id) on delete cascade,
      player_id uuid not null references quiz_game_players (id) on delete cascade,
      question_index integer not null,
      answer jsonb not null,
      answered_at timestamptz(3) not null default now(),
      elapsed_ms integer not null,
      fraction double precision,
      points integer not null default 0,
      -- Exactly one answer per player per question, however many times it is sent.
      primary key (player_id, question_index)
    )`.execute(db);
  await sql`create index quiz_game_answers_question_idx on quiz_game_answers (game_id, question_index)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'quiz_game_answers',
    'quiz_game_players',
    'quiz_game_questions',
    'quiz_games',
    'quiz_attempt_items',
    'quiz_attempts',
    'quiz_question_versions',
    'quiz_questions',
    'quizzes',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
