package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import java.net.SocketTimeoutException;
import org.apache.camel.component.mongodb.CamelMongoDbException;
import org.junit.jupiter.api.Test;

/** A failed export names what failed — the store or the portal — and the setting that governs it. */
class SentencesTest {

    @Test
    void aStoreTimeoutDuringAnUploadNamesTheStoreNotThePortal() {
        Exception storeTimeout = new CamelMongoDbException(new MongoSocketReadTimeoutException("Timeout while receiving message",
                new ServerAddress("127.0.0.1", 27017), new SocketTimeoutException("Read timed out")));
        assertEquals("the store did not answer in time (Timeout while receiving message; pep.mongo.timeout-ms, MONGO_URI)",
                Sentences.of(storeTimeout, "the bulk upload of 20 ids"));
        assertEquals("the store did not answer in time (Timed out after 3000 ms; pep.mongo.timeout-ms, MONGO_URI)",
                Sentences.of(new MongoTimeoutException("Timed out after 3000 ms")));
    }

    @Test
    void aPortalTimeoutNamesThePortalOnceWithItsSetting() {
        assertEquals("the portal did not answer the bulk upload of 20 ids in time (Read timed out; pep.portal.response-timeout)",
                Sentences.of(new SocketTimeoutException("Read timed out"), "the bulk upload of 20 ids"));
        assertEquals("the portal did not answer a request in time (Read timed out; pep.portal.response-timeout)",
                Sentences.of(new SocketTimeoutException("Read timed out")));
    }
}
