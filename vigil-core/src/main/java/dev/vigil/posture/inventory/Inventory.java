package dev.vigil.posture.inventory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant's inventory: assets, their software and listening services, and identities. {@link #merge} puts several
 * sources together: an asset or identity named twice is one record whose fields are the union of what the sources
 * say (an import over an observation); software and services are de-duplicated by their keys.
 */
public record Inventory(List<Asset> assets, List<Software> software, List<Identity> identities,
        List<Service> services) {
    public Inventory {
        assets = List.copyOf(assets);
        software = List.copyOf(software);
        identities = List.copyOf(identities);
        services = List.copyOf(services);
    }

    public static Inventory empty() {
        return new Inventory(List.of(), List.of(), List.of(), List.of());
    }

    public static Inventory merge(Collection<Inventory> parts) {
        Map<String, Asset> assets = new LinkedHashMap<>();
        Map<String, Software> software = new LinkedHashMap<>();
        Map<String, Identity> identities = new LinkedHashMap<>();
        Map<String, Service> services = new LinkedHashMap<>();
        for (Inventory part : parts) {
            for (Asset asset : part.assets()) {
                assets.merge(asset.id(), asset, Asset::merge);
            }
            for (Software item : part.software()) {
                software.merge(item.key(), item, (a, b) -> b.origin() == Origin.IMPORTED ? b : a);
                assets.computeIfAbsent(item.assetId(), id -> Asset.named(id, item.origin(), item.source()));
            }
            for (Identity identity : part.identities()) {
                identities.merge(Identity.key(identity.name()), identity, Identity::merge);
            }
            for (Service service : part.services()) {
                services.merge(service.key(), service, (a, b) -> b.origin() == Origin.IMPORTED ? b : a);
                assets.computeIfAbsent(service.assetId(), id -> Asset.named(id, service.origin(), service.source()));
            }
        }
        return new Inventory(new ArrayList<>(assets.values()), new ArrayList<>(software.values()),
                new ArrayList<>(identities.values()), new ArrayList<>(services.values()));
    }

    public boolean isEmpty() {
        return assets.isEmpty() && software.isEmpty() && identities.isEmpty() && services.isEmpty();
    }
}
