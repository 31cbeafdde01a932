package dev.vigil.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import tools.jackson.core.type.TypeReference;

/**
 * The users in {@code DATA/server/users.json}, a {@link SecretFile}: mode 600, replaced atomically, reread when it
 * changed, so {@code vigil users} may change it while {@code vigil serve} runs.
 */
final class FileUsers implements UserRepository {
    private static final TypeReference<List<User>> LIST = new TypeReference<>() {};

    private final SecretFile<User> file;

    FileUsers(Path file) {
        this.file = new SecretFile<>(file, LIST);
    }

    @Override
    public List<User> list() {
        return file.read();
    }

    @Override
    public Optional<User> find(String name) {
        return list().stream().filter(u -> u.name().equals(name)).findFirst();
    }

    @Override
    public void insert(User user) {
        file.update(users -> {
            if (users.stream().anyMatch(u -> u.name().equals(user.name()))) {
                throw UserRepository.exists(user.name());
            }
            List<User> next = new ArrayList<>(users);
            next.add(user);
            return next;
        });
    }

    @Override
    public Optional<User> change(String name, UnaryOperator<User> change) {
        User[] changed = new User[1];
        file.update(users -> {
            List<User> next = new ArrayList<>();
            boolean found = false;
            for (User u : users) {
                if (u.name().equals(name)) {
                    found = true;
                    changed[0] = change.apply(u);
                    if (changed[0] != null) {
                        next.add(changed[0]);
                    }
                } else {
                    next.add(u);
                }
            }
            if (!found) {
                throw UserRepository.notFound(name);
            }
            return next;
        });
        return Optional.ofNullable(changed[0]);
    }
}
