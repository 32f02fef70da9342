package io.statuspolicy.example;

import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.GetMapping;

/** A Feign client: Spring Cloud OpenFeign adds the starter's capability bean to it. */
@FeignClient(name = "profile", url = "${downstream.url}")
public interface ProfileApi {
    @GetMapping("/profile/me")
    String me();
}
