package dev.mpq.service.profile;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The SQL of profile computations (their job state lives in {@code job}). */
@Repository
class ProfileJobRepository {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ProfileJobRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A profile computation as stored. */
    record StoredProfileJob(long jobId, long networkId, ProfileJobRequest request, Long profileId) {}

    void insert(long jobId, long networkId, ProfileJobRequest request) {
        jdbc.sql("""
                        INSERT INTO profile_request (job_id, network_id, name, method, formats, options)
                        VALUES (:job, :network, :name, :method, :formats, :options::jsonb)
                        """)
                .param("job", jobId)
                .param("network", networkId)
                .param("name", request.nameOrDefault())
                .param("method", request.method())
                .param(
                        "formats",
                        (request.formats() == null ? List.<String>of() : request.formats()).toArray(String[]::new))
                .param("options", json.writeValueAsString(request))
                .update();
    }

    Optional<StoredProfileJob> find(long jobId) {
        return jdbc.sql("SELECT job_id, network_id, options::text, profile_id FROM profile_request WHERE job_id = :job")
                .param("job", jobId)
                .query((rs, n) -> new StoredProfileJob(
                        rs.getLong(1), rs.getLong(2), json.readValue(rs.getString(3), ProfileJobRequest.class), (Long)
                                rs.getObject(4)))
                .optional();
    }

    List<Long> jobsOfNetwork(long networkId) {
        return jdbc.sql("SELECT job_id FROM profile_request WHERE network_id = :network ORDER BY job_id DESC")
                .param("network", networkId)
                .query(Long.class)
                .list();
    }

    void setProfile(long jobId, long profileId) {
        jdbc.sql("UPDATE profile_request SET profile_id = :profile WHERE job_id = :job")
                .param("profile", profileId)
                .param("job", jobId)
                .update();
    }
}
