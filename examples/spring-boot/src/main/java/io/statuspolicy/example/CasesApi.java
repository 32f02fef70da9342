package io.statuspolicy.example;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;

/** An HTTP service client (group "cases"): Boot builds it on its RestClient.Builder, so it carries the policy. */
public interface CasesApi {
    @GetExchange("/cases/{id}")
    String caseFile(@PathVariable("id") int id);
}
