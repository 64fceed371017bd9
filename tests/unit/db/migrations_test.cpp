#include "db/migrations.hpp"

#include "db/pg/pg_connection.hpp"
#include "db/sqlite/sqlite_connection.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace fruitpak::db {
namespace {

const std::vector<MigrationFile> kFiles{
    {"0001_base.sql", "A"}, {"0002_fts.pg.sql", "PG"}, {"0002_fts.sqlite.sql", "LITE"}, {"0003_more.sql", "C"}};

TEST(MigrationsTest, EngineVariantsAreChosenPerEngine) {
  auto pg = migrations_for(Engine::kPostgres, kFiles);
  ASSERT_EQ(pg.size(), 3u);
  EXPECT_EQ(pg[1].version, "0002_fts");
  EXPECT_EQ(pg[1].sql, "PG");
  auto lite = migrations_for(Engine::kSqlite, kFiles);
  ASSERT_EQ(lite.size(), 3u);
  EXPECT_EQ(lite[1].version, "0002_fts");
  EXPECT_EQ(lite[1].sql, "LITE");
}

TEST(MigrationsTest, AppliedInVersionOrder) {
  auto lite = migrations_for(Engine::kSqlite, {{"0002_b.sql", "B"}, {"0001_a.sql", "A"}});
  ASSERT_EQ(lite.size(), 2u);
  EXPECT_EQ(lite[0].version, "0001_a");
}

TEST(MigrationsTest, EmbeddedSetIsSortedAndNonEmpty) {
  const auto& files = embedded_migration_files();
  ASSERT_FALSE(files.empty());
  for (std::size_t i = 1; i < files.size(); ++i) EXPECT_LT(files[i - 1].name, files[i].name);
}

TEST(ErrorMappingTest, SqlStatesMapToErrorValues) {
  EXPECT_EQ(pg::errc_from_sqlstate("23505"), Errc::kConflict);
  EXPECT_EQ(pg::errc_from_sqlstate("23503"), Errc::kInvalidInput);
  EXPECT_EQ(pg::errc_from_sqlstate("23502"), Errc::kInvalidInput);
  EXPECT_EQ(pg::errc_from_sqlstate("22001"), Errc::kInvalidInput);
  EXPECT_EQ(pg::errc_from_sqlstate("57014"), Errc::kTimeout);
  EXPECT_EQ(pg::errc_from_sqlstate("57P01"), Errc::kUnavailable);
  EXPECT_EQ(pg::errc_from_sqlstate("08006"), Errc::kUnavailable);
  EXPECT_EQ(pg::errc_from_sqlstate("42P01"), Errc::kInternal);
}

TEST(ErrorMappingTest, SqliteCodesMapToErrorValues) {
  EXPECT_EQ(sqlite::errc_from_sqlite(SQLITE_CONSTRAINT_UNIQUE), Errc::kConflict);
  EXPECT_EQ(sqlite::errc_from_sqlite(SQLITE_CONSTRAINT_PRIMARYKEY), Errc::kConflict);
  EXPECT_EQ(sqlite::errc_from_sqlite(SQLITE_CONSTRAINT_FOREIGNKEY), Errc::kInvalidInput);
  EXPECT_EQ(sqlite::errc_from_sqlite(SQLITE_CONSTRAINT_NOTNULL), Errc::kInvalidInput);
  EXPECT_EQ(sqlite::errc_from_sqlite(SQLITE_BUSY), Errc::kTimeout);
  EXPECT_EQ(sqlite::errc_from_sqlite(SQLITE_CANTOPEN), Errc::kUnavailable);
  EXPECT_EQ(sqlite::errc_from_sqlite(SQLITE_ERROR), Errc::kInternal);
}

}  // namespace
}  // namespace fruitpak::db
