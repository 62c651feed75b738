// PostgresHqStore::serve_powerdns_zone: points the database triggers of 004_powerdns.sql at the
// vendor zone's PowerDNS domain, creating it (and filling it from HQ's tables) when the zone is
// new or --zone changed.
#include "hq/store/postgres_hq_store.hpp"

namespace hq {

using pg::Connection;
using pg::Params;
using pg::Result;

bool PostgresHqStore::serve_powerdns_zone(const PowerDnsZone& zone) {
    return pool_.with([&](Connection& db) {
        pg::Transaction transaction(db);
        const auto current = [&db] { return db.exec("SELECT apex FROM powerdns_zone"); };
        if (Result r = current(); r.rows() == 1 && r.text(0, 0) == zone.apex) return false;
        // The zone is new or moved. Writers wait while it is filled (SHARE conflicts with their
        // ROW EXCLUSIVE), and the ones in flight are waited for, so no write falls between the
        // triggers (which need the zone row) and the bulk copy below. Then look again: another
        // instance starting at once may have done it meanwhile.
        db.exec("LOCK TABLE homes, records, challenges IN SHARE MODE");
        if (Result r = current(); r.rows() == 1 && r.text(0, 0) == zone.apex) return false;
        db.exec(
            "DELETE FROM pdns.domains WHERE id IN (SELECT domain_id FROM powerdns_zone) "
            "OR name = $1",
            Params().add(zone.apex));  // cascades to the old zone's records and our row
        const int64_t domain =
            db.exec("INSERT INTO pdns.domains (name, type) VALUES ($1, 'NATIVE') RETURNING id",
                    Params().add(zone.apex))
                .int64(0, 0);
        db.exec(
            "INSERT INTO powerdns_zone (domain_id, apex, record_ttl, challenge_ttl) "
            "VALUES ($1, $2, $3, $4)",
            Params()
                .add(domain)
                .add(zone.apex)
                .add(static_cast<int64_t>(zone.record_ttl))
                .add(static_cast<int64_t>(zone.challenge_ttl)));
        db.exec(
            "INSERT INTO pdns.records (domain_id, name, type, content, ttl, auth) VALUES "
            "($1, $2, 'SOA', $3, $5, TRUE), ($1, $2, 'NS', $4, $5, TRUE)",
            Params()
                .add(domain)
                .add(zone.apex)
                .add(zone.soa_content)
                .add(zone.name_server)
                .add(static_cast<int64_t>(zone.apex_ttl)));
        // What the triggers would have written, had the zone existed all along.
        db.exec(
            "INSERT INTO pdns.records (domain_id, name, type, auth) "
            "SELECT $1, lower(name || '.' || $2), NULL, TRUE FROM homes",
            Params().add(domain).add(zone.apex));
        db.exec(
            "INSERT INTO pdns.records (domain_id, name, type, content, ttl, auth) "
            "SELECT $1, lower(label || '.' || home || '.' || $2), 'A', address, $3, TRUE "
            "FROM records",
            Params().add(domain).add(zone.apex).add(static_cast<int64_t>(zone.record_ttl)));
        db.exec(
            "INSERT INTO pdns.records (domain_id, name, type, content, ttl, auth) "
            "SELECT $1, lower(owner), 'TXT', '\"' || value || '\"', $2, TRUE FROM challenges",
            Params().add(domain).add(static_cast<int64_t>(zone.challenge_ttl)));
        transaction.commit();
        return true;
    });
}

}  // namespace hq
